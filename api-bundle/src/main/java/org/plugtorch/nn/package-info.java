/**
 * PyTorch's {@code nn.Module} contract: {@link org.plugtorch.nn.Module}, {@link org.plugtorch.nn.Parameter}, the
 * containers {@link org.plugtorch.nn.Sequential}, {@link org.plugtorch.nn.ModuleList} and
 * {@link org.plugtorch.nn.ModuleDict}, and the layers {@link org.plugtorch.nn.Linear}, {@link org.plugtorch.nn.ReLU}
 * and {@link org.plugtorch.nn.Identity}.
 */
@Export
@Version("0.1.0")
package org.plugtorch.nn;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
