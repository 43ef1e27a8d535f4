/**
 * Training a classifier end to end, for demos and tests: a synthetic data set that needs no download
 * ({@link org.plugtorch.train.TwoSpirals}), a mini-batch training loop that reports loss and accuracy per epoch
 * ({@link org.plugtorch.train.ClassifierTraining}), and a before/after comparison of a module's tensors
 * ({@link org.plugtorch.train.StateSnapshot}) that shows what training changes: parameters (trained), buffers such
 * as running statistics (changed by the forward pass, never trained), and plain tensors (untouched).
 */
@Export
@Version("0.1.0")
package org.plugtorch.train;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
