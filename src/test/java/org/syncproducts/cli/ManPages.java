package org.syncproducts.cli;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc man pages ({@code mvn package}, then asciidoctor) from the complete command
 * model. The commands are registered by {@link SyncProductsCommand#commandLine(Map)}, not by the
 * top command's annotation, so picocli-codegen's own main would see the top command alone.
 *
 * <pre>ManPages OUTPUT_DIR</pre>
 */
public final class ManPages {
    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIR");
        }
        int exitCode = ManPageGenerator.generateManPage(new File(args[0]), null, new boolean[0], true,
                SyncProductsCommand.commandLine(Map.of()).getCommandSpec());
        if (exitCode != 0) {
            throw new IOException("picocli's man page generator failed with exit code " + exitCode);
        }
    }
}
