package org.plugtorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.plugtorch.tck.ReferenceDevices;

/** Device strings as {@code torch.device} reads them: nothing trimmed, no leading zeros (PyTorch 1.13's texts). */
class DeviceParseTest {
    @BeforeAll
    static void devices() {
        ReferenceDevices.install();
    }

    private static String error(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void whitespaceAndControlCharactersMakeAStringInvalid() {
        assertEquals("Invalid device string: 'opencl:0 '", error(() -> Device.parse("opencl:0 ")));
        assertEquals("Invalid device string: ' cpu'", error(() -> Device.parse(" cpu")));
        assertEquals("Invalid device string: 'cuda: 0'", error(() -> Device.parse("cuda: 0")));
        // PyTorch prints the string as it is; a NUL or a newline is shown escaped here, never printed raw
        assertEquals("Invalid device string: 'cpu\\u0000'", error(() -> Device.parse("cpu\0")));
        assertEquals("Invalid device string: 'cuda:0\\u000a'", error(() -> Device.parse("cuda:0\n")));
    }

    @Test
    void anIndexIsZeroOrDigitsWithoutALeadingZero() {
        assertEquals("Invalid device string: 'cuda:00'", error(() -> Device.parse("cuda:00")));
        assertEquals("Invalid device string: 'cuda:01'", error(() -> Device.parse("cuda:01")));
        assertEquals(Device.of("cuda", 10), Device.parse("cuda:10"));
        assertSame(Device.CPU, Device.parse("cpu:0"));
    }

    @Test
    void movesAndModulesRefuseThem() {
        Tensor t = Tensor.ones(2);
        assertEquals("Invalid device string: 'fake:0 '", error(() -> t.to("fake:0 ")));
        assertEquals("Invalid device string: 'fake:0 '", error(() -> new org.plugtorch.nn.Linear(2, 2).to("fake:0 ")));
        assertEquals(ReferenceDevices.FAKE, t.to("fake:0").device());
    }
}
