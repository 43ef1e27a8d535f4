/**
 * The backend SPI: what a device backend implements ({@link org.plugtorch.spi.Backend}), the host memory every
 * backend shares ({@link org.plugtorch.spi.HostBuffer}), what every backend's kernels share (the call rules and bounds
 * checks of {@link org.plugtorch.spi.OperandRules}, the coalesced {@link org.plugtorch.spi.IterationSpace}), and the
 * registry that discovers backends on a plain classpath and under OSGi ({@link org.plugtorch.spi.Backends}).
 */
@Export
@Version("0.2.0")
package org.plugtorch.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
