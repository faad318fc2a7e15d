package io.eiedge.drivers.sunspec;

import io.eiedge.drivers.modbus.ModbusFault;
import io.eiedge.drivers.modbus.ModbusLink;
import io.eiedge.drivers.modbus.RegisterType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A discovered SunSpec device: where its map starts and the models it lists. */
public record SunSpecDevice(int base, List<SunSpecModel> models) {

    /** The base addresses SunSpec allows, in the order probed. */
    public static final int[] BASES = {40000, 0, 50000};
    private static final int MARKER_HI = 0x5375; // "Su"
    private static final int MARKER_LO = 0x6E53; // "nS"
    private static final int END = 0xFFFF;
    private static final int MAX_MODELS = 64;

    public SunSpecDevice {
        models = List.copyOf(models);
    }

    /** The first model eiedge reads, if any. */
    public Optional<SunSpecModel> firstSupported() {
        return models.stream().filter(SunSpecModel::supported).findFirst();
    }

    /**
     * Finds the "SunS" marker at 40000, 0 or 50000 (holding registers) and walks the model chain.
     *
     * @throws ModbusFault when the device does not answer, or answers but has no SunSpec marker
     *                     (then of kind COMM, message saying so)
     */
    public static SunSpecDevice discover(ModbusLink link, int unitId) throws ModbusFault {
        for (int base : BASES) {
            int[] marker;
            try {
                marker = link.readRegisters(unitId, RegisterType.HOLDING, base, 2);
            } catch (ModbusFault f) {
                if (f.kind() == ModbusFault.Kind.EXCEPTION) {
                    continue; // nothing there: try the next base
                }
                throw f;
            }
            if (marker[0] == MARKER_HI && marker[1] == MARKER_LO) {
                return new SunSpecDevice(base, walk(link, unitId, base + 2));
            }
        }
        throw new ModbusFault(ModbusFault.Kind.COMM, link.describe() + " unit " + unitId
                + ": no SunSpec marker \"SunS\" at 40000, 0 or 50000");
    }

    private static List<SunSpecModel> walk(ModbusLink link, int unitId, int address) throws ModbusFault {
        List<SunSpecModel> models = new ArrayList<>();
        for (int i = 0; i < MAX_MODELS && address + 2 <= 65536; i++) {
            int[] header = link.readRegisters(unitId, RegisterType.HOLDING, address, 2);
            if (header[0] == END || header[0] == 0) {
                break;
            }
            models.add(new SunSpecModel(header[0], address, header[1]));
            address += 2 + header[1];
        }
        return models;
    }
}
