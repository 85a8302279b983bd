// What the Electron shell tells the user at start when the local store was damaged (restored
// from a backup, or started empty), or could not be opened at all: a window with words in
// Vietnamese, never a blank screen. Pure, so it is tested without Electron.
import type { StoreRecovery } from '../services/store/Store';

export interface Notice {
  type: 'warning' | 'error';
  title: string;
  message: string;
  detail: string;
}

const vietnamTime = (iso: string) => new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });

export function recoveryNotice(recovery: StoreRecovery): Notice {
  return {
    type: 'warning',
    title: 'Giao Ban: đã khôi phục dữ liệu',
    message: recovery.restoredFrom
      ? `Tệp dữ liệu trên máy này bị hỏng. Ứng dụng đã khôi phục từ bản sao lưu lúc ${vietnamTime(recovery.restoredFrom)}; những gì ghi sau thời điểm đó (nếu có) không còn.`
      : 'Tệp dữ liệu trên máy này bị hỏng và chưa có bản sao lưu nào; ứng dụng bắt đầu lại với dữ liệu trống. Các cuộc giao ban sẽ được nhận lại từ máy chủ.',
    detail: `Tệp hỏng được giữ lại tại ${recovery.damagedFile} để cán bộ kỹ thuật xem xét. (${recovery.problem})`,
  };
}

/** The app's services could not start at all (a store from a newer version, a disk that cannot be written). */
export function startFailureNotice(error: unknown, dataDir: string): Notice {
  const reason = error instanceof Error ? error.message : String(error);
  const newer = /newer Giao Ban/.test(reason);
  return {
    type: 'error',
    title: 'Giao Ban: không khởi động được',
    message: newer
      ? 'Dữ liệu trên máy này do một phiên bản Giao Ban mới hơn tạo ra. Hãy cài phiên bản mới nhất của ứng dụng; dữ liệu không bị thay đổi.'
      : 'Ứng dụng không mở được dữ liệu trên máy này. Dữ liệu đã lưu không bị xóa. Hãy kiểm tra ổ đĩa còn chỗ trống, rồi mở lại ứng dụng hoặc báo cán bộ kỹ thuật.',
    detail: `Thư mục dữ liệu: ${dataDir}\nChi tiết: ${reason}`,
  };
}
