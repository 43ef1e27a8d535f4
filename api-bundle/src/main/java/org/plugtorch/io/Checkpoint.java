package org.plugtorch.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.plugtorch.Tensor;
import org.plugtorch.nn.IncompatibleKeys;
import org.plugtorch.nn.Module;

/**
 * An open checkpoint file (safetensors or a torch.save zip), validated whole when it was opened and mapped into
 * memory: listing its tensors reads nothing more, and each tensor is read only when asked for. Close it when done.
 */
public interface Checkpoint extends AutoCloseable {

    Path path();

    /** {@code safetensors} or {@code torch} (a torch.save zip file). */
    String format();

    /** Every tensor, in file order (safetensors: data order; torch: the saved dict's order). */
    List<TensorEntry> entries();

    /**
     * The named tensor's entry.
     *
     * @throws IllegalArgumentException naming the key when the file has no such tensor
     */
    TensorEntry entry(String name);

    /**
     * What the file says about itself: safetensors' {@code __metadata__}; for torch files, the archive's
     * {@code version} and {@code byteorder} records and each module's {@code _metadata} version (key
     * {@code _metadata.<module prefix>.version}).
     */
    Map<String, String> metadata();

    /** One tensor, on the device {@code options} maps it to. */
    Tensor read(String name, LoadOptions options) throws IOException;

    /**
     * Every tensor, keys stripped as {@code options} say. From torch files, tensors that shared a storage when saved
     * share one again, as with {@code torch.load}.
     */
    LinkedHashMap<String, Tensor> readAll(LoadOptions options) throws IOException;

    /**
     * Loads this checkpoint into {@code module} with {@link Module#loadStateDict}'s semantics, tensor by tensor,
     * straight from the file into each parameter and buffer on its own device (the map location does not apply:
     * values go where the module's tensors are). Every check (keys, shapes, whether each needed tensor can be
     * read) runs before anything is copied, so a load that fails leaves the module unchanged. (The exception is the
     * file failing underneath the copy, such as another process truncating it: tensors copied before that keep their
     * new values.)
     */
    IncompatibleKeys loadInto(Module module, LoadOptions options) throws IOException;

    @Override
    void close() throws IOException;
}
