package org.loes4j.nativebindings.torch;

import java.util.List;
import java.util.SplittableRandom;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.CholeskyKernel;
import org.loes4j.linalg.spi.GemmKernel;
import org.loes4j.linalg.spi.VectorKernel;

/**
 * Child-process entry for {@link TorchProcessTest}: prints, one per line, {@code backend NAME available
 * REASON} for every discovered backend, then the process chain's choice and kernel owners, then the
 * Frobenius norm of a product computed through {@link Linalg#get()}.
 */
public final class ProbeMain {
    private ProbeMain() {
    }

    public static void main(String[] args) {
        for (Backend b : Backends.discover()) {
            System.out.println("backend " + b.name() + " " + b.availability().available() + " " + b.availability().reason());
        }
        Backends p = Backends.process();
        System.out.println("chosen " + p.chosen().name());
        System.out.println("owners " + p.kernelOwners(List.of(GemmKernel.class, CholeskyKernel.class, VectorKernel.class)));
        SplittableRandom rng = new SplittableRandom(1);
        DMatrix a = DMatrix.random(20, 30, rng);
        DMatrix b = DMatrix.random(30, 10, rng);
        System.out.println("norm " + Linalg.get().frobeniusNorm(Linalg.get().multiply(a, b)));
    }
}
