package io.eiedge.drivers.testing;

import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/** j2mod's own Modbus TCP slave on a loopback ephemeral port, serving one image per unit id. */
public final class J2modTcpSlave implements AutoCloseable {
    private final ModbusSlave slave;
    private final int port;

    public J2modTcpSlave(Map<Integer, RegisterImage> units) throws Exception {
        this(freePort(), units);
    }

    public J2modTcpSlave(int port, Map<Integer, RegisterImage> units) throws Exception {
        this.port = port;
        slave = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), port, 4, false);
        units.forEach((unit, image) -> slave.addProcessImage(unit, toProcessImage(unit, image)));
        slave.open();
    }

    private static SimpleProcessImage toProcessImage(int unit, RegisterImage image) {
        SimpleProcessImage p = new SimpleProcessImage(unit);
        int maxH = image.holding.keySet().stream().mapToInt(i -> i).max().orElse(-1);
        for (int a = 0; a <= maxH; a++) {
            Integer w = image.holding.get(a);
            p.addRegister(new SimpleRegister(w == null ? 0 : w));
        }
        int maxI = image.input.keySet().stream().mapToInt(i -> i).max().orElse(-1);
        for (int a = 0; a <= maxI; a++) {
            Integer w = image.input.get(a);
            p.addInputRegister(new SimpleInputRegister(w == null ? 0 : w));
        }
        return p;
    }

    public int port() {
        return port;
    }

    /** Changes one input register while serving. */
    public void setInput(int unit, int address, int word) {
        ((SimpleProcessImage) slave.getProcessImage(unit)).setInputRegister(address, new SimpleInputRegister(word));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        ModbusSlaveFactory.close(slave);
    }
}
