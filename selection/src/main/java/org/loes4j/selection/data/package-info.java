/**
 * Selection inputs that are not part of the shared data vocabulary ({@code org.loes4j.data}): the seeded
 * uniform calibration split, and seeded synthetic layered embeddings with the structure LOES looks for.
 */
package org.loes4j.selection.data;
