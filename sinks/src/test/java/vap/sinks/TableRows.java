package vap.sinks;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import vap.core.worker.Incoming;
import vap.sinks.db.Database;
import vap.sinks.db.DatabaseWriter;
import vap.sinks.db.TableWriter;

import java.util.ArrayList;
import java.util.List;

/** Rows put into a real table through the sinks' own DatabaseWriter, as one batch of stand-in Kafka records. */
final class TableRows {
    private TableRows() {
    }

    static <T> void write(Database db, TableWriter<T> table, List<T> values) throws Exception {
        List<Incoming<T>> batch = new ArrayList<>();
        long offset = 0;
        for (T v : values) {
            batch.add(new Incoming<>(new ConsumerRecord<>("t", 0, offset++, "k", new byte[0]), v));
        }
        try (DatabaseWriter<T> w = new DatabaseWriter<>(db, table)) {
            w.process(batch, null);
        }
    }
}
