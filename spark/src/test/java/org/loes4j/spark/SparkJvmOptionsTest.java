package org.loes4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The build gives the test JVM every option Spark's launcher gives a driver or executor
 * ({@code loes4j.spark.jvm.flags} in spark/pom.xml): a Spark upgrade that adds one fails here, not somewhere
 * deep in Netty or Kryo.
 */
class SparkJvmOptionsTest {
    @Test
    void theTestJvmHasEveryOptionOfSparksLauncher() {
        List<String> ours = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String option : JavaModuleOptions.defaultModuleOptionArray()) {
            assertTrue(ours.contains(option), "the test JVM lacks " + option + " (add it to loes4j.spark.jvm.flags in "
                    + "spark/pom.xml and to the README's Spark section); it has " + ours);
        }
    }
}
