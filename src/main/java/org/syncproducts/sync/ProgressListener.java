package org.syncproducts.sync;

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
}
