package org.syncproducts.download;

/** Hears how a download goes, to show its progress (bytes, rate, time left). */
public interface DownloadListener {
    DownloadListener NONE = new DownloadListener() {
        @Override
        public void onStart(String name, long done, long total) {
        }

        @Override
        public void onProgress(long done, long total) {
        }

        @Override
        public void onEnd() {
        }
    };

    /**
     * A body starts to arrive.
     *
     * @param done  bytes already on disk (a resumed download starts past 0)
     * @param total the whole file's size, or -1 when the server did not say
     */
    void onStart(String name, long done, long total);

    /** Called often (every buffer written); a listener that shows something throttles itself. */
    void onProgress(long done, long total);

    void onEnd();
}
