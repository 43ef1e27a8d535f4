/**
 * Tensors and devices: {@link org.plugtorch.Tensor}, {@link org.plugtorch.Device}, {@link org.plugtorch.DType} and
 * the seedable {@link org.plugtorch.Generator}; reverse-mode autograd: the graph's {@link org.plugtorch.Node}s
 * (PyTorch's {@code grad_fn}) and {@link org.plugtorch.GradMode} ({@code Tensor.noGrad()}, PyTorch's
 * {@code torch.no_grad()}).
 */
@Export
@Version("0.1.0")
package org.plugtorch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
