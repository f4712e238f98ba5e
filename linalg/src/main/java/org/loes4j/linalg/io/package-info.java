/** File formats: JSON, and the array formats embeddings and models are stored in. */
package org.loes4j.linalg.io;
