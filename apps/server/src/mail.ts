import type { PasswordResetMailer } from "@parley/api";
import type { Transporter } from "nodemailer";

/**
 * Password-reset mails through the SMTP server at SMTP_URL (nodemailer; TLS as the URL says).
 * nodemailer is loaded with the first mail: tens of MiB a server that sends none need not hold.
 */
export function smtpMailer(options: { url: string; from: string }): PasswordResetMailer & { close(): void } {
  let transport: Promise<Transporter> | null = null;
  const connect = () => {
    transport ??= import("nodemailer").then(({ createTransport }) => createTransport(options.url));
    return transport;
  };
  return {
    async sendPasswordReset(to, url) {
      await (await connect()).sendMail({
        from: options.from,
        to: { name: to.displayName, address: to.email },
        subject: "Reset your Parley password",
        text: [
          `Hello ${to.displayName},`,
          "",
          "Someone (hopefully you) asked to reset the password of your Parley account.",
          "Open this link within an hour to choose a new one:",
          "",
          url,
          "",
          "If you did not ask for this, ignore this mail: your password stays as it is.",
        ].join("\n"),
      });
    },
    close: () => void transport?.then((t) => t.close()),
  };
}
