package io.eiedge.drivers.modbus;

import io.eiedge.drivers.meter.Measurement;

import java.util.List;
import java.util.SortedMap;

/** Reads one meter's values over a link: from a fixed register map, or a SunSpec device's models. */
public interface ValueReader {

    /**
     * Reads every value. Values that decode to nonsense are left out and described in
     * {@code problems}; a transaction failure aborts the read.
     */
    SortedMap<String, Measurement> read(ModbusLink link, int unitId, List<String> problems) throws ModbusFault;
}
