/** The scalar reference backend: the slow twin of every kernel. */
package org.loes4j.linalg.scalar;
