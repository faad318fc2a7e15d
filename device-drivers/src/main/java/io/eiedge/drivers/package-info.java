/** Meters: Modbus RTU/TCP, SunSpec, S0 pulse inputs and simulated meters. */
package io.eiedge.drivers;
