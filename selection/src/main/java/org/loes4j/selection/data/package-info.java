/**
 * Selection inputs: the layer stack over (memory-mapped) layer views, the targets (one-hot over the classes
 * present, or raw regression values) and the seeded uniform calibration split.
 */
package org.loes4j.selection.data;
