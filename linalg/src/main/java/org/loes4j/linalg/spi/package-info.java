/** The backend service interface and the kernel families a backend may provide. */
package org.loes4j.linalg.spi;
