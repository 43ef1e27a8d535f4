/**
 * Tensors and devices: {@link org.plugtorch.Tensor}, {@link org.plugtorch.Device}, {@link org.plugtorch.DType} and
 * the seedable {@link org.plugtorch.Generator}.
 */
@Export
@Version("0.1.0")
package org.plugtorch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
