/** The library-owned executor. */
package org.loes4j.linalg.concurrent;
