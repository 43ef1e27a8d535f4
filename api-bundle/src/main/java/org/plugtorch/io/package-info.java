/**
 * Checkpoint files: safetensors (read and write) and PyTorch's {@code torch.save} zip files (read), interoperable
 * with real PyTorch and safe on hostile input.
 *
 * <p>Start at {@link org.plugtorch.io.Checkpoints}: {@code open} a file of either format, {@code load} its tensors,
 * {@code loadStateDict} into a module tensor by tensor, {@code save} a module, {@code describe} a file. Reading maps
 * the file into memory and validates all of it before any tensor is made; unpickling follows PyTorch's
 * {@code weights_only} idea (an allow-list of globals, no code from the file ever runs).
 */
@Export
@Version("0.1.0")
package org.plugtorch.io;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
