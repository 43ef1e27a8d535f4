/**
 * PyTorch's {@code nn.Module} contract: {@link org.plugtorch.nn.Module}, {@link org.plugtorch.nn.Parameter}, the
 * containers {@link org.plugtorch.nn.Sequential}, {@link org.plugtorch.nn.ModuleList} and
 * {@link org.plugtorch.nn.ModuleDict}; the layers {@link org.plugtorch.nn.Linear}, {@link org.plugtorch.nn.ReLU},
 * {@link org.plugtorch.nn.Identity}, {@link org.plugtorch.nn.BatchNorm1d}, {@link org.plugtorch.nn.LayerNorm},
 * {@link org.plugtorch.nn.Dropout}, {@link org.plugtorch.nn.Embedding} and
 * {@link org.plugtorch.nn.PositionalEncoding}; the losses {@link org.plugtorch.nn.MSELoss} and
 * {@link org.plugtorch.nn.CrossEntropyLoss}; and their computations as functions, {@link org.plugtorch.nn.Functional}
 * (PyTorch's {@code torch.nn.functional}).
 */
@Export
@Version("0.1.0")
package org.plugtorch.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
