/**
 * LOES layer selection (spec sections 1 and 2): {@link org.loes4j.selection.Loes} with its
 * {@link org.loes4j.selection.LoesOptions}, and the {@link org.loes4j.selection.SelectionResult} every selector
 * (LOES and the baselines of {@code selection.baselines}) returns.
 */
package org.loes4j.selection;
