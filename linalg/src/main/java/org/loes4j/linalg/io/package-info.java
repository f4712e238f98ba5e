/**
 * Array files: numpy {@code .npy} read through read-only FFM memory mappings ({@link org.loes4j.linalg.io.Npy},
 * {@link org.loes4j.linalg.io.NpyArray}) and written atomically through read-write mappings
 * ({@link org.loes4j.linalg.io.NpyWriter}).
 */
package org.loes4j.linalg.io;
