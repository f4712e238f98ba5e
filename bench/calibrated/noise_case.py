#!/usr/bin/env python3
"""The issue's failure, small: 20,000 rows, 8 layers of width 64, 5 classes; layer 5 carries all the class signal
(prototypes plus anisotropic noise), the other 7 are isotropic Gaussian noise (seed 11). Writes noise/."""
import os
import numpy as np
rng = np.random.default_rng(11)
n, layers, d, classes = 20000, 8, 64, 5
y = rng.integers(0, classes, n)
x = rng.standard_normal((n, layers, d)).astype(np.float32)
proto = rng.standard_normal((classes, d))
x[:, 5, :] = (rng.standard_normal((n, d)) * np.linspace(0.2, 2.0, d) + proto[y]).astype(np.float32)
os.makedirs('noise', exist_ok=True)
np.save('noise/embeddings.npy', x)
np.save('noise/labels.npy', y.astype(np.int64))
