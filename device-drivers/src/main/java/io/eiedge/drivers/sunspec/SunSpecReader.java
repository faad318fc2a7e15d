package io.eiedge.drivers.sunspec;

import io.eiedge.drivers.meter.Measurement;
import io.eiedge.drivers.meter.Obis;
import io.eiedge.drivers.modbus.ModbusFault;
import io.eiedge.drivers.modbus.ModbusLink;
import io.eiedge.drivers.modbus.RegisterType;
import io.eiedge.drivers.modbus.ValueReader;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a SunSpec device's first supported model, discovering it on the first read and again
 * after any failure (the device may have been replaced). Integer points are scaled by their
 * scale-factor registers: value = point × 10^SF, exactly. Points holding SunSpec's "not
 * implemented" value, or whose scale factor is not implemented, are left out quietly.
 *
 * <p>Meters (201–204): + import / − export as OBIS 16.7.0. Inverters (101–103) produce, so
 * their AC power is reported as export (negative 16.7.0) and their lifetime energy as 2.8.0.
 */
public final class SunSpecReader implements ValueReader {
    private SunSpecModel model;

    /** The model being read, after the first successful discovery. */
    public synchronized SunSpecModel model() {
        return model;
    }

    @Override
    public synchronized SortedMap<String, Measurement> read(ModbusLink link, int unitId, List<String> problems) throws ModbusFault {
        if (model == null) {
            SunSpecDevice device = SunSpecDevice.discover(link, unitId);
            model = device.firstSupported().orElseThrow(() -> new ModbusFault(ModbusFault.Kind.COMM,
                    link.describe() + " unit " + unitId + ": SunSpec device has no meter (201-204) or inverter (101-103) model; models: "
                            + device.models().stream().map(SunSpecModel::id).toList()));
        }
        try {
            return model.isMeter() ? readMeter(link, unitId, model) : readInverter(link, unitId, model);
        } catch (ModbusFault f) {
            model = null;
            throw f;
        }
    }

    private static SortedMap<String, Measurement> readMeter(ModbusLink link, int unitId, SunSpecModel m) throws ModbusFault {
        int[] r = body(link, unitId, m, 53);
        SortedMap<String, Measurement> v = new TreeMap<>();
        int aSf = r[4], vSf = r[13], hzSf = r[15], wSf = r[20], vaSf = r[25], whSf = r[52];
        put(v, Obis.CURRENT_L1, int16(r[1]), aSf, "A");
        put(v, Obis.VOLTAGE_L1, int16(r[6]), vSf, "V");
        put(v, Obis.FREQUENCY, int16(r[14]), hzSf, "Hz");
        put(v, Obis.ACTIVE_POWER, int16(r[16]), wSf, "W");
        put(v, Obis.APPARENT_POWER, int16(r[21]), vaSf, "VA");
        if (m.id() >= 202) {
            put(v, Obis.CURRENT_L2, int16(r[2]), aSf, "A");
            put(v, Obis.VOLTAGE_L2, int16(r[7]), vSf, "V");
            put(v, Obis.ACTIVE_POWER_L1, int16(r[17]), wSf, "W");
            put(v, Obis.ACTIVE_POWER_L2, int16(r[18]), wSf, "W");
        }
        if (m.id() >= 203) {
            put(v, Obis.CURRENT_L3, int16(r[3]), aSf, "A");
            put(v, Obis.VOLTAGE_L3, int16(r[8]), vSf, "V");
            put(v, Obis.ACTIVE_POWER_L3, int16(r[19]), wSf, "W");
        }
        put(v, Obis.ACTIVE_ENERGY_EXPORT, acc32(r[36], r[37]), whSf, "Wh");
        put(v, Obis.ACTIVE_ENERGY_IMPORT, acc32(r[44], r[45]), whSf, "Wh");
        return v;
    }

    private static SortedMap<String, Measurement> readInverter(ModbusLink link, int unitId, SunSpecModel m) throws ModbusFault {
        int[] r = body(link, unitId, m, 25);
        SortedMap<String, Measurement> v = new TreeMap<>();
        int aSf = r[4], vSf = r[11], wSf = r[13], hzSf = r[15], vaSf = r[17], whSf = r[24];
        put(v, Obis.CURRENT_L1, uint16(r[1]), aSf, "A");
        put(v, Obis.VOLTAGE_L1, uint16(r[8]), vSf, "V");
        Long w = int16(r[12]);
        put(v, Obis.ACTIVE_POWER, w == null ? null : -w, wSf, "W");
        put(v, Obis.FREQUENCY, uint16(r[14]), hzSf, "Hz");
        put(v, Obis.APPARENT_POWER, int16(r[16]), vaSf, "VA");
        if (m.id() == 103) {
            put(v, Obis.CURRENT_L2, uint16(r[2]), aSf, "A");
            put(v, Obis.CURRENT_L3, uint16(r[3]), aSf, "A");
            put(v, Obis.VOLTAGE_L2, uint16(r[9]), vSf, "V");
            put(v, Obis.VOLTAGE_L3, uint16(r[10]), vSf, "V");
        }
        put(v, Obis.ACTIVE_ENERGY_EXPORT, acc32(r[22], r[23]), whSf, "Wh");
        return v;
    }

    private static int[] body(ModbusLink link, int unitId, SunSpecModel m, int needed) throws ModbusFault {
        if (m.length() < needed) {
            throw new ModbusFault(ModbusFault.Kind.COMM, link.describe() + " unit " + unitId + ": SunSpec model " + m.id()
                    + " is " + m.length() + " registers long, expected at least " + needed);
        }
        return link.readRegisters(unitId, RegisterType.HOLDING, m.address() + 2, needed);
    }

    private static void put(SortedMap<String, Measurement> v, String obis, Long raw, int sfWord, String unit) {
        if (raw == null || sfWord == 0x8000) {
            return; // not implemented by this device
        }
        int sf = (short) sfWord;
        if (sf < -10 || sf > 10) {
            return; // SunSpec limits scale factors to -10..10; anything else is not a scale factor
        }
        v.put(obis, Measurement.of(raw, sf, unit));
    }

    private static Long int16(int w) {
        return w == 0x8000 ? null : (long) (short) w;
    }

    private static Long uint16(int w) {
        return w == 0xFFFF ? null : (long) w;
    }

    private static Long acc32(int hi, int lo) {
        long v = ((long) hi << 16) | lo;
        return v == 0 ? null : v; // acc32 0 means "not accumulated"
    }
}
