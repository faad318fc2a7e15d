package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Measurement;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Reads a {@link RegisterMap} block by block. */
public final class RegisterMapReader implements ValueReader {
    private final RegisterMap map;
    private final List<RegisterMap.Block> blocks;

    public RegisterMapReader(RegisterMap map) {
        this.map = map;
        this.blocks = map.blocks();
    }

    public RegisterMap map() {
        return map;
    }

    @Override
    public SortedMap<String, Measurement> read(ModbusLink link, int unitId, List<String> problems) throws ModbusFault {
        SortedMap<String, Measurement> values = new TreeMap<>();
        for (RegisterMap.Block b : blocks) {
            int[] words = link.readRegisters(unitId, b.type(), b.address(), b.count());
            for (RegisterSpec r : b.registers()) {
                RegisterDecoder.Result result = RegisterDecoder.decode(r, words, r.address() - b.address());
                if (result.ok()) {
                    values.put(r.obis(), result.measurement());
                } else {
                    problems.add(result.problem());
                }
            }
        }
        return values;
    }
}
