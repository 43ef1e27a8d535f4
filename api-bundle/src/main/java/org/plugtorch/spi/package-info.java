/**
 * The backend SPI: what a device backend implements ({@link org.plugtorch.spi.Backend}), the host memory every
 * backend shares ({@link org.plugtorch.spi.HostBuffer}), and the registry that discovers backends on a plain
 * classpath and under OSGi ({@link org.plugtorch.registry.Backends}).
 */
@Export
@Version("0.1.0")
package org.plugtorch.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
