/**
 * GeoReg, the geometric regulariser of the LOES paper (spec section 4), in closed form with its gradient.
 */
package org.loes4j.training.geo;
