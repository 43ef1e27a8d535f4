/**
 * The backend SPI: what a device backend implements ({@link org.plugtorch.spi.Backend}), the host memory every
 * backend shares ({@link org.plugtorch.spi.HostBuffer}), and what every backend's kernels share (the call rules and
 * bounds checks of {@link org.plugtorch.spi.OperandRules}, the coalesced {@link org.plugtorch.spi.IterationSpace},
 * {@link org.plugtorch.spi.Preconditions}). It depends on nothing of the API but {@link org.plugtorch.DType} and
 * {@link org.plugtorch.Device}; backends register with {@link org.plugtorch.registry.Backends}.
 */
@Export
@Version("0.2.0")
package org.plugtorch.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
