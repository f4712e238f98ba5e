/** Training of adapters and probes on selected layers. */
package org.loes4j.training;
