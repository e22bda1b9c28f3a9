package org.syncproducts.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.syncproducts.ExitCode;
import picocli.CommandLine;

/** The version, commit and build date the Maven build stamps into a resource. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    /**
     * What {@code -V} prints; with {@code --json}, this document.
     *
     * @param commit  the short git commit the jar was built from, or {@code unknown}
     * @param builtAt the build time, UTC, ISO-8601
     */
    record Build(String name, String version, String commit, @JsonProperty("built_at") String builtAt, String java,
                 @JsonProperty("exit_code") int exitCode) {
        static Build current() {
            Properties properties = properties();
            return new Build("sync-products", properties.getProperty("version", "unknown"),
                    stamped(properties, "commit"), stamped(properties, "built"), System.getProperty("java.version"),
                    ExitCode.OK);
        }
    }

    public static String version() {
        return properties().getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        Build build = Build.current();
        return new String[] {"sync-products " + build.version() + " (commit " + build.commit() + ", built "
                + build.builtAt() + ")", "Java " + build.java()};
    }

    private static Properties properties() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/sync-products-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // An unreadable resource leaves every field "unknown"; -V must still answer.
            properties.clear();
        }
        return properties;
    }

    /** A stamped value, or {@code unknown} when the build did not stamp it (an IDE build). */
    private static String stamped(Properties properties, String key) {
        String value = properties.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
