import type { PasswordResetMailer } from "@parley/api";
import { createTransport } from "nodemailer";

/** Password-reset mails through the SMTP server at SMTP_URL (nodemailer; TLS as the URL says). */
export function smtpMailer(options: { url: string; from: string }): PasswordResetMailer & { close(): void } {
  const transport = createTransport(options.url);
  return {
    async sendPasswordReset(to, url) {
      await transport.sendMail({
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
    close: () => transport.close(),
  };
}
