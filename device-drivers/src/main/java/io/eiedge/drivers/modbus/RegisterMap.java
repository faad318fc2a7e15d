package io.eiedge.drivers.modbus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A meter's register map as data: built-in profiles ({@link Profiles}) and technician-written
 * maps are the same thing. Reads are grouped into blocks: registers of one table are fetched in
 * one request when the hole between them is at most {@code maxGap} registers and the block stays
 * within {@code maxBlock} registers (125 is Modbus' limit; some meters accept fewer).
 */
public record RegisterMap(String name, List<RegisterSpec> registers, int maxGap, int maxBlock) implements ModbusProfile {

    public RegisterMap {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("register map: name is empty");
        }
        registers = List.copyOf(Objects.requireNonNull(registers, "registers"));
        if (registers.isEmpty()) {
            throw new IllegalArgumentException("register map '" + name + "' has no registers");
        }
        Set<String> seen = new HashSet<>();
        for (RegisterSpec r : registers) {
            if (!seen.add(r.obis())) {
                throw new IllegalArgumentException("register map '" + name + "': OBIS code " + r.obis() + " appears twice");
            }
        }
        if (maxBlock < 4 || maxBlock > 125) {
            throw new IllegalArgumentException("register map '" + name + "': maxBlock " + maxBlock + " is outside 4..125");
        }
        if (maxGap < 0 || maxGap >= maxBlock) {
            throw new IllegalArgumentException("register map '" + name + "': maxGap " + maxGap + " is outside 0.." + (maxBlock - 1));
        }
    }

    /** A map read only in contiguous runs (the safe default for a technician-written map). */
    public RegisterMap(String name, List<RegisterSpec> registers) {
        this(name, registers, 0, 125);
    }

    /** One read request: {@code count} registers of {@code type} from {@code address}. */
    public record Block(RegisterType type, int address, int count, List<RegisterSpec> registers) {
    }

    /** The read requests that fetch every register, in address order. */
    public List<Block> blocks() {
        List<RegisterSpec> sorted = new ArrayList<>(registers);
        sorted.sort(Comparator.comparing(RegisterSpec::type).thenComparingInt(RegisterSpec::address));
        List<Block> out = new ArrayList<>();
        List<RegisterSpec> current = new ArrayList<>();
        int start = -1;
        int end = -1;
        RegisterType type = null;
        for (RegisterSpec r : sorted) {
            boolean fits = type == r.type() && r.address() - end <= maxGap && r.end() - start <= maxBlock;
            if (!fits && !current.isEmpty()) {
                out.add(new Block(type, start, end - start, List.copyOf(current)));
                current.clear();
            }
            if (current.isEmpty()) {
                type = r.type();
                start = r.address();
                end = r.end();
            }
            current.add(r);
            end = Math.max(end, r.end());
        }
        out.add(new Block(type, start, end - start, List.copyOf(current)));
        return out;
    }
}
