/** LOES: layer-wise optimal embedding selection. */
package org.loes4j.selection;
