import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Benchmark helper: runs SQL statements against a database and prints the first column of each
 * statement's first row (if it returns rows), one line per statement.
 *
 * <p>Run: {@code java -cp target/sync-products.jar scripts/bench/Sql.java JDBC_URL "SQL" ...}
 */
public class Sql {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Sql JDBC_URL SQL...");
            System.exit(64);
        }
        try (Connection connection = DriverManager.getConnection(args[0]);
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (int i = 1; i < args.length; i++) {
                if (statement.execute(args[i])) {
                    try (ResultSet rows = statement.getResultSet()) {
                        System.out.println(rows.next() ? rows.getString(1) : "");
                    }
                }
            }
        }
    }
}
