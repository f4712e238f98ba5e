/** AdamW with PyTorch's semantics, the cosine learning-rate schedule and gradient-norm clipping. */
package org.loes4j.training.optim;
