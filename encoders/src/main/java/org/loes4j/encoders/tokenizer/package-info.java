/**
 * BERT's WordPiece tokenizer read from a Hugging Face {@code tokenizer.json}: normalisation (clean-up,
 * CJK spacing, NFD accent stripping, lower-casing), whitespace/punctuation pre-tokenisation, greedy
 * longest-match WordPiece, {@code [CLS] ... [SEP]}, truncation and padding.
 */
package org.loes4j.encoders.tokenizer;
