package org.syncproducts.sync;

import org.syncproducts.download.DownloadListener;
import org.syncproducts.model.JobCounts;
import org.syncproducts.source.InputProgress;

/** Hears about a job's progress after each committed batch. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void onStart(String source, InputProgress progress) {
        }

        @Override
        public void onBatch(JobCounts total, InputProgress progress) {
        }

        @Override
        public void onEnd() {
        }
    };

    void onStart(String source, InputProgress progress);

    void onBatch(JobCounts total, InputProgress progress);

    void onEnd();

    /** Hears about the downloads before the job (exports fetched by URL); by default nothing is shown. */
    default DownloadListener downloads() {
        return DownloadListener.NONE;
    }
}
