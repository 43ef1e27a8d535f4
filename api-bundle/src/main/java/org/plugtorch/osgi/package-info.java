/**
 * OSGi glue: {@link org.plugtorch.osgi.BackendTracker} feeds the device registry from the service registry, and
 * {@link org.plugtorch.osgi.EventAdminBridge} posts device events to Event Admin. Both run as Declarative Services
 * components when the API is installed as a bundle, and can be opened by an application that embeds a framework.
 */
@Export
@Version("0.1.0")
package org.plugtorch.osgi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
