package org.syncproducts.source;

import java.nio.file.Path;
import org.syncproducts.config.ConfigNode;

/** Builds one type of source from its config section, checking every option it is given. */
@FunctionalInterface
public interface SourceFactory {
    /**
     * @param name    the source's name in config
     * @param options its config section (including {@code type})
     * @param baseDir directory relative paths are resolved against (the config file's)
     */
    ProductSource create(String name, ConfigNode options, Path baseDir);
}
