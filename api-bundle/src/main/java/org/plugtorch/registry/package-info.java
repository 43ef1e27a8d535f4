/**
 * The device registry: which backend serves which device now ({@link org.plugtorch.registry.Backends}), fed by
 * {@link java.util.ServiceLoader} discovery on a plain classpath and by the OSGi service registry under a framework;
 * backends register and unregister here, and listeners hear devices come and go.
 */
@Export
@Version("0.1.0")
package org.plugtorch.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
