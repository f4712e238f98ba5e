/** Extracting native libraries from jars into a versioned cache directory, safely under concurrent runs. */
package org.loes4j.nativebindings.loading;
