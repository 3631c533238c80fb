import io.sigil.signing.AtomicSignatures;
import io.sigil.signing.CosignSignatures;
import io.sigil.signing.OpenPgpKeyring;
import io.sigil.signing.OpenPgpSigner;
import io.sigil.signing.UntrustedCosignSignature;
import io.sigil.signing.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.bouncycastle.openpgp.PGPSecretKeyRing;

/**
 * Signs and verifies N atomic and cosign signatures with Sigil's signing code (the calls the sign task and the
 * verifier make), on one thread and on all processors, then times gpg --sign / --verify on the first GPG_N payloads.
 * Usage (see run.sh): java -cp target/classes:DEPS SigningBench.java N GPG_N WORK_DIR
 */
public class SigningBench {

    static final String REFERENCE = "registry.example.com/bench/app:v";
    static final int THREADS = Runtime.getRuntime().availableProcessors();

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int gpgN = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        List<String> digests = digests(n);
        System.out.printf("%d manifest digests, %d processors%n%n", n, THREADS);

        PGPSecretKeyRing ring = OpenPgpSigner.generateKeyRing("Bench <bench@example.com>", null);
        OpenPgpSigner pgp = new OpenPgpSigner(ring.getSecretKey(), null);
        OpenPgpKeyring keyring = OpenPgpKeyring.of(OpenPgpSigner.armoredPublicKey(ring));
        IntFunction<byte[]> atomicPayload = i -> AtomicSignatures.payload(REFERENCE + i, digests.get(i), "Sigil 0.1", 1700000000L + i);
        byte[][] atomic = new byte[n][];
        report("atomic sign   (RSA 3072)", n, i -> atomic[i] = pgp.sign(atomicPayload.apply(i)));
        report("atomic verify (RSA 3072)", n, i -> require(AtomicSignatures.verify(atomic[i], keyring, digests.get(i))));

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = generator.generateKeyPair();
        List<PublicKey> cosignKeys = List.of(ec.getPublic());
        UntrustedCosignSignature[] cosign = new UntrustedCosignSignature[n];
        report("cosign sign   (P-256)   ", n, i -> cosign[i] = cosignSign(ec, CosignSignatures.payload(REFERENCE + i, digests.get(i), "Sigil 0.1", 1700000000L + i)));
        report("cosign verify (P-256)   ", n, i -> require(CosignSignatures.verify(cosign[i], cosignKeys, digests.get(i))));

        gpgBaseline(ring, keyring, atomicPayload, digests, Math.min(gpgN, n), work);
    }

    /** Times {@code op} after a warm-up: on one thread (first tenth, at least 200) and on all processors (all n). */
    static void report(String label, int n, Op op) throws Exception {
        int single = Math.min(n, Math.max(200, n / 10));
        for (int i = 0; i < Math.min(n, 300); i++) { // warm-up: let the JIT compile the code paths first
            op.run(i);
        }
        long start = System.nanoTime();
        for (int i = 0; i < single; i++) {
            op.run(i);
        }
        double oneThread = single / seconds(start);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int i = first; i < n; i += THREADS) {
                    op.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double all = n / seconds(start);
        pool.shutdown();
        System.out.printf("%s  %8.0f /s on 1 thread   %8.0f /s on %d threads (all %d)%n", label, oneThread, all, THREADS, n);
        RATES.put(label.trim(), all);
    }

    static final Map<String, Double> RATES = new java.util.LinkedHashMap<>();

    static void gpgBaseline(PGPSecretKeyRing ring, OpenPgpKeyring keyring, IntFunction<byte[]> payload, List<String> digests,
                            int n, Path work) throws Exception {
        Path home = Files.createDirectories(work.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path secret = Files.write(work.resolve("secret.asc"), OpenPgpSigner.armoredSecretKey(ring));
        gpg(home, "--import", secret.toString());
        String fingerprint = HexFormat.of().withUpperCase().formatHex(ring.getPublicKey().getFingerprint());
        gpg(home, "--import-ownertrust", Files.writeString(work.resolve("trust"), fingerprint + ":6:\n").toString());
        for (int i = 0; i < n; i++) {
            Files.write(work.resolve("payload-" + i), payload.apply(i));
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            gpg(home, "--yes", "--local-user", fingerprint, "--output", work.resolve("sig-" + i).toString(), "--sign",
                    work.resolve("payload-" + i).toString());
        }
        double signRate = n / seconds(start);
        start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            gpg(home, "--verify", work.resolve("sig-" + i).toString());
        }
        double verifyRate = n / seconds(start);
        for (int i = 0; i < n; i++) { // gpg's signatures must verify with Sigil too, or the comparison means nothing
            require(AtomicSignatures.verify(Files.readAllBytes(work.resolve("sig-" + i)), keyring, digests.get(i)));
        }
        System.out.printf("%ngpg --sign    (RSA 3072)  %8.1f /s (%d payloads, one gpg process each)%n", signRate, n);
        System.out.printf("gpg --verify  (RSA 3072)  %8.1f /s (%d signatures, one gpg process each)%n", verifyRate, n);
        System.out.printf("%nSigil / gpg: sign %.0fx, verify %.0fx (Sigil on %d threads)%n",
                RATES.get("atomic sign   (RSA 3072)") / signRate, RATES.get("atomic verify (RSA 3072)") / verifyRate, THREADS);
    }

    static void gpg(Path home, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--quiet", "--pinentry-mode", "loopback"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GNUPGHOME", home.toString());
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("gpg failed (" + exit + "): " + command);
        }
    }

    static UntrustedCosignSignature cosignSign(KeyPair keys, byte[] payload) throws Exception {
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initSign(keys.getPrivate());
        ecdsa.update(payload);
        return new UntrustedCosignSignature(CosignSignatures.SIMPLE_SIGNING_MEDIA_TYPE, payload,
                Map.of(CosignSignatures.SIGNATURE_ANNOTATION, Base64.getEncoder().encodeToString(ecdsa.sign())));
    }

    static List<String> digests(int n) {
        SecureRandom random = new SecureRandom();
        List<String> digests = new ArrayList<>(n);
        byte[] bytes = new byte[32];
        for (int i = 0; i < n; i++) {
            random.nextBytes(bytes);
            digests.add("sha256:" + HexFormat.of().formatHex(bytes));
        }
        return digests;
    }

    static void require(Verdict verdict) {
        if (!verdict.isValid()) {
            throw new IllegalStateException("benchmark signature did not verify: " + verdict.reason());
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @FunctionalInterface
    interface Op {
        void run(int i) throws Exception;
    }
}
