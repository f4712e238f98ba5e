/** Benchmarks. */
package org.loes4j.bench;
