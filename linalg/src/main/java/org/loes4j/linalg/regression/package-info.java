/** Ridge regression with intercept, primal or dual (Woodbury) by shape. */
package org.loes4j.linalg.regression;
