/**
 * Optimizers, as PyTorch's {@code torch.optim}: {@link org.plugtorch.optim.SGD} (momentum, dampening, weight decay,
 * Nesterov), {@link org.plugtorch.optim.Adam} and {@link org.plugtorch.optim.AdamW} (bias correction, optional
 * AMSGrad), over {@link org.plugtorch.optim.ParamGroup}s, with PyTorch's defaults, update formulas, error texts and
 * state-dict layout. State is kept per parameter object and follows its parameter to whatever device and dtype it
 * has at the next step.
 */
@Export
@Version("0.1.0")
package org.plugtorch.optim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
