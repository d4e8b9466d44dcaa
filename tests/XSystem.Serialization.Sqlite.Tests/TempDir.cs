using Microsoft.Data.Sqlite;

namespace XSystem.Serialization.Sqlite.Tests;

/// <summary>A fresh directory under the system temp directory, deleted on dispose; plus a way to build database files with plain SQL.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => DirectoryPath = Directory.CreateTempSubdirectory("xsys-sqlite-").FullName;

    public string DirectoryPath { get; }

    public string Combine(string name) => Path.Combine(DirectoryPath, name);

    /// <summary>Creates a database file by running <paramref name="sql"/> and returns its bytes (the connection is closed first).</summary>
    public byte[] BuildDatabase(string sql, string name = "fixture.db")
    {
        string path = Combine(name);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        return File.ReadAllBytes(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}
