/** Encoders (BERT family) and their tokenizers. */
package org.loes4j.encoders;
