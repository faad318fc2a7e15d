package io.eiedge.runtime.cli.meters;

import io.eiedge.drivers.modbus.DeviceProfile;
import io.eiedge.drivers.modbus.Profiles;
import io.eiedge.drivers.modbus.RegisterSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code eiedge meters profiles [NAME…]}: the device-profile library — one line per model
 * (name, maker, model, how many values, the maker's document), or with names every register.
 */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = "List the device profiles (register maps of meter models) usable as profile: NAME or --profile NAME.")
public final class ProfilesCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Parameters(paramLabel = "NAME", arity = "0..*", description = "show these profiles' registers")
    List<String> names = List.of();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (names.isEmpty()) {
            out.printf("%-10s %-14s %-44s %6s  %s%n", "PROFILE", "MAKER", "MODEL", "VALUES", "SOURCE");
            for (DeviceProfile p : Profiles.LIBRARY.all()) {
                out.printf("%-10s %-14s %-44s %6d  %s%n", p.name(), p.maker(), p.model(), p.map().registers().size(),
                        p.source().cite());
            }
            out.printf("%-10s %-14s %-44s %6s  %s%n", "sunspec", "(any)", "SunSpec device: models discovered", "-",
                    "SunSpec Information Model Specification");
            out.println(Profiles.LIBRARY.all().size() + " model profiles; 'eiedge meters profiles NAME' shows the registers");
            out.flush();
            return 0;
        }
        for (String name : names) {
            DeviceProfile p;
            try {
                p = Profiles.LIBRARY.get(name);
            } catch (IllegalArgumentException e) {
                err.println("eiedge meters profiles: " + e.getMessage());
                err.flush();
                return 2;
            }
            out.println(p.name() + ": " + p.maker() + " " + p.model() + " (" + p.protocol() + ")");
            out.println("  source: " + p.source().cite());
            out.println("  checked: " + p.source().checked());
            for (DeviceProfile.IdentityCheck c : p.identity()) {
                out.println("  recognised by: " + c.what());
            }
            for (RegisterSpec r : p.map().registers()) {
                out.println(String.format(Locale.ROOT, "  %-11s %-7s %5d (0x%04X) %-7s %s x10^%d %s",
                        r.obis(), r.type().name().toLowerCase(Locale.ROOT), r.address(), r.address(),
                        r.dataType().name().toLowerCase(Locale.ROOT), r.wordOrder(), r.scaler(), r.unit()));
            }
        }
        out.flush();
        return 0;
    }
}
